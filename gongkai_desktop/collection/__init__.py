"""The supervising office's collection: many organs' reports for one year — gathered, checked, compared and summed.

A county or district 政府办 fixes the list of organs that must report, collects their reports,
checks them, sends back what is wrong and sums the region's figures (国办发〔2014〕32号). This room
builds on the others: reports come in through storage/ (exchange files) and reading/ (published
files), are checked by report/'s rules, and leave as an Excel workbook, a 审核意见 and an aggregate
report rendered by documents/.
"""
