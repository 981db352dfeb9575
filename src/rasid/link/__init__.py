"""rasid.link"""
