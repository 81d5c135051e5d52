/**
 * The commands of `nabla`, in the order `nabla --help` lists them. To add one, write
 * `commands/<name>.ts` exporting `register(program, ctx)` and add it here.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import * as check from './check.js';
import * as evalCommand from './eval.js';
import * as exercise from './exercise.js';
import * as explain from './explain.js';
import * as explore from './explore.js';
import * as exportCommand from './export.js';
import * as grad from './grad.js';
import * as importCommand from './import.js';
import * as init from './init.js';
import * as predict from './predict.js';
import * as train from './train.js';

export interface CommandModule {
  register(program: Command, ctx: CommandContext): void;
}

export const commands: readonly CommandModule[] = [
  init,
  grad,
  train,
  evalCommand,
  predict,
  explore,
  explain,
  exercise,
  check,
  exportCommand,
  importCommand,
];
