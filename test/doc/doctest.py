#!/usr/bin/python3
"""test/doc/doctest.py: run the SQL examples of Markdown files and compare
their output with the output the document shows (TAP on stdout).

Usage: doctest.py -d DATABASE [-u] FILE.md...

-u (for writing documents, never in the test suite): replace the body of
each ```text output block with what psql printed, for review with git diff.

The block convention (see TESTING.md, "Documentation tests"):

  * Every ```sql block is executed, in document order, all files in one psql
    session (psql -X -q, input from stdin, \\pset footer off, \\pset null
    NULL), so a later block sees the tables and settings of an earlier one.
  * A ```text block that follows a ```sql block (only blank lines between)
    is that block's output, exactly as psql prints it: aligned tables,
    notices and errors ("ERROR:  ...", "DETAIL:  ...") in the order psql
    prints them.  A ```sql block without one must print nothing (set-up:
    CREATE, INSERT ... print nothing under -q).
  * <!-- doctest: skip --> on the line before a ```sql block: not executed
    (illustrative only: a sketch with placeholders, or a statement that
    needs something the test cluster does not have).
  * <!-- doctest: setup FILE... --> anywhere: before the session, each FILE
    (relative to the repository root) is run with psql -f and
    ON_ERROR_STOP; its output is not compared.

The comparison is exact, except that trailing blanks of each line and blank
lines at the start and the end of a block's output are ignored (psql pads
some header lines with blanks; Markdown editors strip them).  Each executed
block is one TAP test, named by its file and line; a failure shows a diff.
"""

import difflib
import getopt
import os
import re
import subprocess
import sys

FENCE = re.compile(r'^```(\S*)\s*$')
SKIP = re.compile(r'^<!--\s*doctest:\s*skip\s*-->\s*$')
SETUP = re.compile(r'^<!--\s*doctest:\s*setup\s+(.*?)\s*-->\s*$')


class Block:
	def __init__(self, path, line, sql):
		self.path = path
		self.line = line
		self.sql = sql
		self.expected = None    # None: must print nothing
		self.span = None        # lines of the output block's body (0-based, end excluded)
		self.skip = False
		self.title = ''


def parse(path):
	"""Blocks and set-up files of one Markdown file."""
	with open(path, encoding='utf-8') as f:
		lines = f.read().split('\n')
	blocks, setup = [], []
	heading = ''
	last = None                 # the last ```sql block, while only blank lines follow it
	pending_skip = False
	i = 0
	while i < len(lines):
		line = lines[i]
		m = FENCE.match(line)
		if m:
			lang = m.group(1)
			start = i
			i += 1
			body = []
			while i < len(lines) and not lines[i].startswith('```'):
				body.append(lines[i])
				i += 1
			if i == len(lines):
				sys.exit('%s:%d: unterminated code block' % (path, start + 1))
			text = '\n'.join(body)
			if lang == 'sql':
				b = Block(path, start + 1, text)
				b.skip = pending_skip
				b.title = heading
				blocks.append(b)
				last = b
			elif lang == 'text' and last is not None:
				if last.skip:
					sys.exit('%s:%d: output shown for a skipped block' % (path, start + 1))
				last.expected = text
				last.span = (start + 1, i)
				last = None
			else:
				last = None
			pending_skip = False
			i += 1
			continue
		if line.strip() == '':
			i += 1
			continue
		last = None
		if SKIP.match(line):
			pending_skip = True
		elif SETUP.match(line):
			setup.extend(SETUP.match(line).group(1).split())
			pending_skip = False
		else:
			pending_skip = False
			if line.startswith('#'):
				heading = line.lstrip('#').strip()
		i += 1
	return blocks, setup


def normalise(text):
	out = [l.rstrip() for l in text.split('\n')]
	while out and out[0] == '':
		out.pop(0)
	while out and out[-1] == '':
		out.pop()
	return out


def main():
	opts, files = getopt.getopt(sys.argv[1:], 'd:u')
	db = dict(opts).get('-d')
	update = '-u' in dict(opts)
	if not db or not files:
		sys.exit(__doc__)
	psql = ['psql', '-X', '-q', '-d', db]

	blocks, setup = [], []
	for path in files:
		b, s = parse(path)
		blocks.extend(b)
		setup.extend(s)
	run = [b for b in blocks if not b.skip]
	print('1..%d' % (len(setup) + len(run)))
	n = 0
	failed = 0

	for f in setup:
		n += 1
		p = subprocess.run(psql + ['-v', 'ON_ERROR_STOP=1', '-f', f],
						   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
						   universal_newlines=True)
		if p.returncode == 0:
			print('ok %d - set-up %s' % (n, f))
		else:
			failed += 1
			print('not ok %d - set-up %s' % (n, f))
			for l in p.stderr.splitlines():
				print('# ' + l)

	# one session, a marker line before each block
	script = ['\\pset footer off', '\\pset null NULL']
	for k, b in enumerate(run):
		stripped = re.sub(r'--[^\n]*', '', b.sql).strip()
		if stripped and not (stripped.endswith(';') or stripped.split('\n')[-1].startswith('\\')):
			sys.exit('%s:%d: the block does not end with a semicolon' % (b.path, b.line))
		script.append('\\echo @@doctest-block-%d@@' % k)
		script.append(b.sql)
	script.append('\\echo @@doctest-block-end@@')
	p = subprocess.run(psql, input='\n'.join(script) + '\n', stdout=subprocess.PIPE,
					   stderr=subprocess.STDOUT, universal_newlines=True)
	parts = re.split(r'^@@doctest-block-(\d+|end)@@\n', p.stdout, flags=re.M)
	got = {}
	for k in range(1, len(parts) - 1, 2):
		if parts[k] != 'end':
			got[int(parts[k])] = parts[k + 1]
	if parts[0].strip():
		print('# output before the first block:')
		for l in parts[0].splitlines():
			print('# ' + l)

	for k, b in enumerate(run):
		n += 1
		name = '%s:%d %s' % (b.path, b.line, b.title)
		actual = normalise(got.get(k, '@@ no output: the session ended early @@'))
		expected = normalise(b.expected or '')
		if actual == expected:
			print('ok %d - %s' % (n, name))
		else:
			failed += 1
			print('not ok %d - %s' % (n, name))
			for l in difflib.unified_diff(expected, actual, 'shown in %s' % b.path,
										  'printed by psql', lineterm=''):
				print('# ' + l)
	if update:
		for path in files:
			with open(path, encoding='utf-8') as f:
				lines = f.read().split('\n')
			todo = [(b.span, normalise(got.get(k, ''))) for k, b in enumerate(run)
					if b.path == path and b.span]
			for (s, e), out in sorted(todo, reverse=True):
				lines[s:e] = out
			with open(path, 'w', encoding='utf-8') as f:
				f.write('\n'.join(lines))
	if p.returncode != 0:
		print('# psql exited with status %d' % p.returncode)
	sys.exit(1 if failed or p.returncode else 0)


if __name__ == '__main__':
	main()
