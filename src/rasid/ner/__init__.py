"""rasid.ner"""
