"""rasid.facts"""
