"""Pure extraction over cleaned HTML or text: article fields, participants, fingerprints.

Input HTML is already cleaned by :mod:`parkcrawl.text` (Simplified, no pinyin annotations),
so nothing here needs to know about mirror artefacts or encodings. No Scrapy imports.
"""
