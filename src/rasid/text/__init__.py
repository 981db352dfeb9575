"""rasid.text"""
