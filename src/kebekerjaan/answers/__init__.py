"""Survey answers (SOP steps 6-7): form exports, WhatsApp replies, manual entry, matching."""
