"""rasid.names"""
