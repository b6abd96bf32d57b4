"""SOP steps 6-7: survey answers (form exports, WhatsApp replies, answers typed in by staff),
matched to alumni and settled in review."""
