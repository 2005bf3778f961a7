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

Each file is also checked for references to what does not exist: every
relative Markdown link [..](path#anchor) must name a file or directory of
the repository (relative to the document) and an anchor a heading of it
(GitHub's rule for heading anchors); every inline code span that looks like
a repository path (it starts with one of the top-level directories, or is a
top-level *.md file; globs allowed, placeholders <..> skipped) must exist
relative to the repository root (the current directory), or be a path that
.gitignore lists (an output the build or the tests create).

The comparison is exact, except that trailing blanks of each line and blank
lines at the start and the end of a block's output are ignored (psql pads
some header lines with blanks; Markdown editors strip them).  Each executed
block is one TAP test, named by its file and line; a failure shows a diff.
"""

import difflib
import fnmatch
import getopt
import glob
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


TOPDIRS = ('.ci', 'data', 'demo', 'doc', 'expected', 'scripts', 'sql', 'src', 'test')
LINK = re.compile(r'\[[^\]]*\]\(([^)\s]+)\)')
CODE = re.compile(r'`([^`\s]+)`')


def slugs(path):
	"""The anchors GitHub gives the headings of a Markdown file."""
	seen = {}
	out = set()
	in_code = False
	with open(path, encoding='utf-8') as f:
		for line in f:
			if line.startswith('```'):
				in_code = not in_code
			if in_code or not line.startswith('#'):
				continue
			text = line.lstrip('#').strip().lower()
			text = re.sub(r'[^\w\- ]', '', text).replace(' ', '-')
			n = seen.get(text, 0)
			seen[text] = n + 1
			out.add(text if n == 0 else '%s-%d' % (text, n))
	return out


def ignored(path):
	"""Whether .gitignore (of the repository's root) lists the path."""
	try:
		with open('.gitignore', encoding='utf-8') as f:
			patterns = [l.strip() for l in f if l.strip() and not l.startswith('#')]
	except OSError:
		return False
	path = path.strip('/')
	for pat in patterns:
		pat = pat.strip('/')
		if fnmatch.fnmatch(path, pat) or path.startswith(pat + '/') \
				or fnmatch.fnmatch(os.path.basename(path), pat):
			return True
	return False


def check_references(path):
	"""Problems with the links and paths of one Markdown file."""
	problems = []
	in_code = False
	base = os.path.dirname(path)
	with open(path, encoding='utf-8') as f:
		lines = f.read().split('\n')
	for no, line in enumerate(lines, 1):
		if line.startswith('```'):
			in_code = not in_code
			continue
		if in_code:
			continue
		for target in LINK.findall(line):
			if re.match(r'^[a-z]+:', target):
				continue
			file, _, anchor = target.partition('#')
			full = os.path.normpath(os.path.join(base, file)) if file else path
			if not os.path.exists(full):
				problems.append('%s:%d: link to %s, which does not exist' % (path, no, file))
			elif anchor and full.endswith('.md') and anchor not in slugs(full):
				problems.append('%s:%d: link to #%s, no such heading in %s' % (path, no, anchor, full))
		for span in CODE.findall(line):
			if '<' in span or not ((span.split('/')[0] in TOPDIRS and '/' in span)
								   or re.match(r'^[A-Z][A-Za-z_]*\.md$', span)
								   or ('/' in span and span.endswith('.md'))):
				continue
			if not glob.glob(span) and not ignored(span):
				problems.append('%s:%d: `%s` does not exist' % (path, no, span))
	return problems


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
	print('1..%d' % (len(files) + len(setup) + len(run)))
	n = 0
	failed = 0

	for path in files:
		n += 1
		problems = check_references(path)
		print('%s %d - links and paths of %s exist' % ('not ok' if problems else 'ok', n, path))
		for l in problems:
			print('# ' + l)
		failed += bool(problems)

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
			print('Bail out! %s:%d: the block does not end with a semicolon' % (b.path, b.line))
			sys.exit(1)
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
