#!/usr/bin/env python3
"""Wraps docs/sechk.1 so that `mandoc -Tlint` is clean: mandoc counts each
non-ASCII character of an input line as its 8-byte escape \\[uXXXX], so a
Japanese line holds about nine characters.  Japanese text is joined without a
space: a line ends with \\c and the next begins with \\: (a break point, so
that groff can still break the paragraph there).  English lines break at spaces.
Idempotent: it first undoes an earlier wrap.  Usage: tools/manwrap.py docs/sechk.1
"""
import sys, re
p=sys.argv[1]
src=open(p,encoding='utf-8').read()
src=re.sub(r'\\c\n(\\:)?','',src)   # undo an earlier wrap
lines=src.split('\n'); joined=[]
for l in lines:
    if joined and l and not l.startswith('.') and joined[-1] and not joined[-1].startswith('.') and ord(joined[-1][-1])>0x7f and ord(l[0])>0x7f:
        joined[-1]+=l
    else:
        joined.append(l)
src='\n'.join(joined)
W=lambda ch: 1 if ord(ch)<0x80 else 8   # mandoc -Tlint counts a non-ASCII character as its \[uXXXX] escape
def width(s): return sum(W(c) for c in s)
out=[]
in_example = False
for line in src.split('\n'):
    if line.startswith('.EX'):
        in_example = True
    elif line.startswith('.EE'):
        in_example = False
    # an example is not filled: a break there would split the command
    if line.startswith('.') or width(line)<=80 or in_example:
        out.append(line); continue
    rest=line
    first=True
    while width(rest)>80:
        n=0; b=0
        while n<len(rest) and b+W(rest[n])<=77: b+=W(rest[n]); n+=1
        cut=rest.rfind(' ',0,n)
        k=n
        while k>1 and not (ord(rest[k])>0x7f or ord(rest[k-1])>0x7f): k-=1
        if rest[k-1]=='\\': k-=1
        if cut>0 and (cut>=k-4 or k<=1):
            out.append(rest[:cut]); rest=rest[cut+1:]; continue
        out.append(rest[:k]+'\\c'); rest='\\:'+rest[k:]
    out.append(rest)
open(p,'w',encoding='utf-8').write('\n'.join(out))
