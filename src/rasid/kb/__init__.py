"""rasid.kb"""
