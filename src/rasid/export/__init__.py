"""rasid.export"""
