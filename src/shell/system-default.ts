// List variables whose absence means "the program's default list", not "nothing". A value
// holding only weft's entries would hide that default (MANPATH=/ws/share/man, and `man ls`
// finds nothing), so when nothing but weft's entries would be left, the variable also gets
// the element(s) that stand for the default; a revert that leaves only those unsets the
// variable again, which is the same thing to the program.
//
// Deliberately not here: PYTHONPATH, NODE_PATH, LD_LIBRARY_PATH, CDPATH and the like read an
// empty element as the current directory, which they do not search when unset: one there
// would be a hole. (CLASSPATH is here because unset, it means exactly the current directory.)

export interface SystemDefault {
  /** The elements that mean "the default" to the programs reading the variable. */
  standIn: readonly string[];
  /**
   * `here`: they mean it anywhere, so they take the place of the (absent) current value,
   * between weft's prepended and appended entries. `last`: only a trailing empty element
   * means it, so it stays last, after appended entries too.
   */
  at: 'here' | 'last';
}

const TABLE: Readonly<Record<string, SystemDefault>> = {
  // man-db and mandoc: an empty element (leading, trailing or '::') is where the system
  // manpath goes (man-db's manpath(1), mandoc's man(1)).
  MANPATH: { standIn: [''], at: 'here' },
  // GNU info adds its default directories only for a trailing ':' (texinfo's infopath.c);
  // Emacs takes an empty element anywhere.
  INFOPATH: { standIn: [''], at: 'last' },
  // Julia puts its default LOAD_PATH (@, @v#.#, @stdlib) in place of an empty entry.
  JULIA_LOAD_PATH: { standIn: [''], at: 'here' },
  // The XDG Base Directory spec: unset or empty means exactly these; an empty element
  // means nothing there, so the default is written out.
  XDG_DATA_DIRS: { standIn: ['/usr/local/share/', '/usr/share/'], at: 'here' },
  XDG_CONFIG_DIRS: { standIn: ['/etc/xdg'], at: 'here' },
  // RubyGems: a set GEM_PATH replaces the default gem path (the user's gems, the system's,
  // Debian's rubygems-integration) unless it ends in ':' (Gem::PathSupport#split_gem_path).
  GEM_PATH: { standIn: [''], at: 'last' },
  // Java: the class path is "." unless CLASSPATH is set; written as ".", not as an empty
  // element, so that it reads the same to every tool that splits it.
  CLASSPATH: { standIn: ['.'], at: 'here' },
};

export function systemDefaultOf(name: string): SystemDefault | undefined {
  return Object.hasOwn(TABLE, name) ? TABLE[name] : undefined;
}

/** True when `rest` (a list without weft's entries) says nothing but "the default". */
export function isOnlyDefault(name: string, rest: string[]): boolean {
  const d = systemDefaultOf(name);
  return d !== undefined && rest.length === d.standIn.length && rest.every((e, i) => e === d.standIn[i]);
}
