// Every command, loaded on demand so `weft env` never pays for the fetch machinery.
import type { CommandSpec } from './command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  aliases?: string[];
  load: () => Promise<CommandSpec>;
}

export const commands: CommandEntry[] = [
  { name: 'up', summary: 'fetch and check out every source, write the environment', load: async () => (await import('./up.js')).command },
  { name: 'update', summary: 'move floating refs to the remote\'s current commit and rewrite weft.lock', load: async () => (await import('./update.js')).command },
  { name: 'lock', summary: 'write weft.lock without checking anything out, or check it (--check)', load: async () => (await import('./lock.js')).command },
  { name: 'env', summary: 'print the environment for eval or for tools', load: async () => (await import('./env.js')).command },
  { name: 'shell', summary: 'start your shell with the environment', load: async () => (await import('./shell.js')).command },
  { name: 'run', summary: 'run one command in the environment', load: async () => (await import('./run.js')).command },
  { name: 'init', summary: 'write a starter weft.yaml, or convert .repos / rosinstall / west.yml / .gitmodules', load: async () => (await import('./init.js')).command },
  { name: 'status', summary: 'show each checkout: revision, branch, local changes, ahead/behind', load: async () => (await import('./status.js')).command },
  { name: 'which', summary: "print each source's active branch and directory", load: async () => (await import('./which.js')).command },
  { name: 'switch', summary: "make a branch of one source active, or return to the manifest's ref", load: async () => (await import('./switch.js')).command },
  { name: 'merge', summary: "merge a source's active branch into the manifest's branch (uncommitted)", load: async () => (await import('./merge.js')).command },
  { name: 'prune', summary: 'remove checkouts of sources no longer in the manifest (never ones holding work)', load: async () => (await import('./prune.js')).command },
  { name: 'foreach', summary: 'run a command in every checkout', load: async () => (await import('./foreach.js')).command },
  { name: 'bundle', summary: 'pack every source into one file for setting up with no network (sprints)', load: async () => (await import('./bundle.js')).command },
  { name: 'graph', summary: 'print the source dependency graph (dot, mermaid or svg)', load: async () => (await import('./graph.js')).command },
  { name: 'why', summary: 'show where each field of a source was set', load: async () => (await import('./why.js')).command },
  { name: 'trust', summary: 'trust this workspace so setup steps run and the hook activates it', load: async () => (await import('./trust.js')).command },
  { name: 'hook', summary: 'print shell code that activates trusted workspaces as you cd', load: async () => (await import('./hook.js')).command },
  { name: 'completion', aliases: ['__complete'], summary: 'print a shell completion script (bash, zsh, fish)', load: async () => (await import('./completion.js')).command },
  { name: 'cache', summary: 'list, prune or verify the shared cache of git mirrors and archives', load: async () => (await import('./cache.js')).command },
  { name: 'doctor', summary: 'check prerequisites, the cache, the shell hook and this workspace', load: async () => (await import('./doctor.js')).command },
  { name: 'help', summary: 'show help for weft or one command', load: async () => (await import('./help.js')).command },
];

export function findCommand(name: string): CommandEntry | undefined {
  return commands.find((c) => c.name === name || c.aliases?.includes(name));
}
