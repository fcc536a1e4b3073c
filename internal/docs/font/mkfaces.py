#!/usr/bin/python3
"""Builds the writ faces (SOURCE.md): subsets a CFF-flavoured OpenType face to
the characters writs print and converts its outlines to TrueType (glyf),
which gopdf embeds. Run once with Debian's python3-fonttools:

  mkfaces.py SOURCE.otf|.ttc FONTNUMBER OUT.ttf FAMILYNAME CHARS.txt...

With MKFACES_ASCII=1 only ASCII and the characters of CHARS.txt are kept
(the page-number face), else GB 2312's symbols and both levels of hanzi too.
"""
import os
import sys
from fontTools.ttLib import TTFont, newTable
from fontTools import subset
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.pens.cu2quPen import Cu2QuPen

src, num, out, family = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
chars = set()
# GB 2312: symbols (rows 1-9) and hanzi levels 1 and 2 (rows 16-87).
for hi in ([] if os.environ.get('MKFACES_ASCII') else list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8))):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))
for path in sys.argv[5:]:
    chars.update(c for c in open(path, encoding='utf-8').read() if ord(c) >= 0x80)

font = TTFont(src, fontNumber=num, lazy=False)
cmap = font.getBestCmap()
opts = subset.Options()
opts.layout_features = []
opts.name_IDs = ['*']
opts.name_languages = ['*']
opts.notdef_outline = True
opts.hinting = False
opts.drop_tables += ['GSUB', 'GPOS', 'GDEF', 'VORG', 'vhea', 'vmtx', 'BASE']
opts.desubroutinize = True
s = subset.Subsetter(opts)
s.populate(unicodes=[ord(c) for c in chars if ord(c) in cmap])
s.subset(font)

# CFF → glyf: cubic curves to quadratic within 1 unit of the em.
order = font.getGlyphOrder()
gs = font.getGlyphSet()
glyf = newTable('glyf')
glyf.glyphOrder = order
glyf.glyphs = {}
for name in order:
    pen = TTGlyphPen(gs)
    gs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
    glyf.glyphs[name] = pen.glyph()
del font['CFF ']
font['glyf'] = glyf
font['loca'] = newTable('loca')
maxp = font['maxp']
maxp.tableVersion = 0x00010000
for a in ('maxZones', 'maxTwilightPoints', 'maxStorage', 'maxFunctionDefs', 'maxInstructionDefs',
          'maxStackElements', 'maxSizeOfInstructions', 'maxComponentElements', 'maxPoints',
          'maxContours', 'maxCompositePoints', 'maxCompositeContours', 'maxComponentDepth'):
    setattr(maxp, a, 0)
maxp.maxZones = 1
font['head'].indexToLocFormat = 0
font['head'].glyphDataFormat = 0
font['post'].formatType = 3.0  # no glyph names
font.sfntVersion = '\x00\x01\x00\x00'
# One family name, as the PDF names it.
for rec in font['name'].names:
    if rec.nameID in (1, 4, 16):
        rec.string = family
    elif rec.nameID == 6:
        rec.string = family.replace(' ', '')
font.save(out)
print(out, len(order), 'glyphs')
