"""rasid.places"""
