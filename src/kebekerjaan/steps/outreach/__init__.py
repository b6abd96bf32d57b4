"""SOP steps 4-5: who is due a survey message (rules), invitations (invite), reminders
(remind), the blast app's delivery reports (delivery) and each cohort's timeline (timeline).
"""
