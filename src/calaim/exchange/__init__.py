"""Exchange: DHCS files (MIF/RTF/OTF, CS files), roster linkage, X12 837P/835 and FHIR R4.

Imports only from policy, engine and ops (the layers before it).
"""
