"""Sentences and labels made from analysis facts, in the reader's language.

Its own layer between analysis (facts: values, codes, dates) and render: status labels, notes, the "in
words" columns, captions' texts, the data's age. Anything cached holds facts; the words are made here
when shown, so one cached result speaks every reader's language.
"""
