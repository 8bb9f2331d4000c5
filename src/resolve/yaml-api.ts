// The functions of the `yaml` package that weft's readers and writers call, taken from the
// one copy yamlLib() loads: importing 'yaml' directly would load the package a second time,
// through Node's slower search (see yaml-lib.ts). Types still come from 'yaml' itself.
import { yamlLib } from './yaml-lib.js';

export const { Document, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, isAlias, isMap, isPair, isScalar, isSeq, parse, parseDocument, visit } = yamlLib();
