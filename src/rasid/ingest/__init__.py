"""rasid.ingest"""
