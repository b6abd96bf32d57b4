"""What the SOP and the questionnaire decide, each rule in one file: the reporting period
(caturwulan), who is a graduate, the status vocabulary, refusals, respondent codes and the
questionnaire itself.
"""
