"""rasid.web"""
