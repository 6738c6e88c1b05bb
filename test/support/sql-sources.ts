import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as ts from 'typescript';

/** A piece of SQL text and where its first character sits in a source file. */
interface Piece {
  text: string;
  file: string;
  pos: number;
  /** A substitution whose text is known only at run time. */
  dynamic?: boolean;
}

/**
 * Stand-ins for a runtime substitution, tried in turn until the statement parses: a value, a row, an
 * identifier, a subquery, a statement. The identifier is skipped by the boundary check.
 */
export const DYNAMIC_NAME = '__dynamic__';
const STAND_INS = ['NULL', '(NULL)', DYNAMIC_NAME, 'SELECT NULL', `INSERT INTO ${DYNAMIC_NAME} VALUES (NULL)`];

/** One SQL statement as Sway sends it, assembled from the literals (and the constants they interpolate). */
export interface SqlSource {
  sql: string;
  /** Where a character of `sql` came from, as `file:line` (relative to the repository). */
  where(index: number): string;
  /** Substitutions that could not be resolved to constant text (stand-ins were put in their place). */
  dynamic: string[];
  /** The same statement with other stand-ins (every combination), for when the first does not parse. */
  variants(): SqlSource[];
}

// A keyword followed by more text: a lone word such as the HTTP method 'DELETE' is not a statement.
const STATEMENT = /^\s*(WITH|SELECT|INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|LOCK|COPY|DO|VALUES)\s+\S/;

/**
 * Every SQL statement written as a string in the TypeScript files: a literal whose text starts with a SQL keyword
 * (upper case, as the house style writes SQL). Interpolated constants — a `const` string, a shared CTE, a number
 * — are followed through the type checker (across imports) and inlined, so the statement is checked as it runs.
 * What cannot be resolved statically (a runtime value) becomes a stand-in: an identifier inside double quotes,
 * `NULL` elsewhere.
 */
export function sqlInTypeScript(files: string[], root: string): SqlSource[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    experimentalDecorators: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const out: SqlSource[] = [];
  const lineOf = (file: string, pos: number): string => {
    const sf = program.getSourceFile(file)!;
    return `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(pos).line + 1}`;
  };

  const evaluate = (node: ts.Expression, dynamic: string[], depth = 0): Piece[] | null => {
    if (depth > 20) return null;
    const file = node.getSourceFile().fileName;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      return [{ text: node.text, file, pos: node.getStart() + 1 }];
    }
    if (ts.isNumericLiteral(node)) return [{ text: node.text, file, pos: node.getStart() }];
    if (ts.isTemplateExpression(node)) {
      const pieces: Piece[] = [{ text: node.head.text, file, pos: node.head.getStart() + 1 }];
      for (const span of node.templateSpans) {
        const prev = pieces.map((p) => p.text).join('');
        const inner = evaluate(span.expression, dynamic, depth + 1);
        if (inner) pieces.push(...inner);
        else {
          dynamic.push(`${lineOf(file, span.expression.getStart())}: \${${span.expression.getText()}}`);
          const text = prev.endsWith('"') ? DYNAMIC_NAME : STAND_INS[0];
          pieces.push({ text, file, pos: span.expression.getStart(), dynamic: !prev.endsWith('"') });
        }
        pieces.push({ text: span.literal.text, file, pos: span.literal.getStart() + 1 });
      }
      return pieces;
    }
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
      return evaluate(node.expression, dynamic, depth + 1);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const l = evaluate(node.left, dynamic, depth + 1);
      const r = evaluate(node.right, dynamic, depth + 1);
      return l && r ? [...l, ...r] : null;
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      let sym = checker.getSymbolAtLocation(node);
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      const decl = sym?.valueDeclaration;
      if (
        decl &&
        ts.isVariableDeclaration(decl) &&
        decl.initializer &&
        ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const
      ) {
        return evaluate(decl.initializer, dynamic, depth + 1);
      }
      if (decl && ts.isEnumMember(decl)) {
        const v = checker.getConstantValue(decl);
        if (v !== undefined) return [{ text: String(v), file, pos: node.getStart() }];
      }
      const type = checker.getTypeAtLocation(node);
      if (type.isStringLiteral() || type.isNumberLiteral()) {
        return [{ text: String(type.value), file, pos: node.getStart() }];
      }
    }
    return null;
  };

  for (const sf of program.getSourceFiles()) {
    if (!files.includes(sf.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
        const head = ts.isTemplateExpression(node) ? node.head.text : node.text;
        if (STATEMENT.test(head) && !ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent)) {
          const dynamic: string[] = [];
          const pieces = evaluate(node, dynamic)!;
          out.push(assemble(pieces, dynamic, lineOf));
        }
        // Substitutions hold no statements of their own worth checking twice; literals inside them still are.
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/**
 * A whole `.sql` file is one source; its positions are its own lines. Named parameters (`:as_of`) and inlined
 * constants (`{{windowDays}}`), which the query loader binds, become `$1` and `1` on the same line.
 */
export function sqlInFile(file: string, root: string): SqlSource {
  const text = readFileSync(file, 'utf8')
    .replace(/(?<![:\w]):[a-z_][a-z0-9_]*/gi, '$$1')
    .replace(/\{\{\w+\}\}/g, '1');
  return {
    sql: text,
    dynamic: [],
    where: (i) => `${relative(root, file)}:${text.slice(0, i).split('\n').length}`,
    variants: () => [],
  };
}

function assemble(pieces: Piece[], dynamic: string[], lineOf: (file: string, pos: number) => string): SqlSource {
  return { ...render(pieces, dynamic, lineOf), variants: () => variants(pieces, dynamic, lineOf) };
}

function variants(pieces: Piece[], dynamic: string[], lineOf: (file: string, pos: number) => string): SqlSource[] {
  const slots = pieces.flatMap((p, i) => (p.dynamic ? [i] : []));
  let combos: string[][] = [[]];
  for (let k = 0; k < slots.length; k++) combos = combos.flatMap((c) => STAND_INS.map((s) => [...c, s]));
  return combos.slice(1).map((combo) => {
    const copy = pieces.map((p) => ({ ...p }));
    slots.forEach((slot, k) => (copy[slot].text = combo[k]));
    return { ...render(copy, dynamic, lineOf), variants: () => [] };
  });
}

function render(
  pieces: Piece[],
  dynamic: string[],
  lineOf: (file: string, pos: number) => string,
): Omit<SqlSource, 'variants'> {
  const starts: number[] = [];
  let sql = '';
  for (const p of pieces) {
    starts.push(sql.length);
    sql += p.text;
  }
  return {
    sql,
    dynamic,
    where(index: number): string {
      let k = 0;
      while (k + 1 < starts.length && starts[k + 1] <= index) k++;
      const p = pieces[k];
      // Escapes make a literal's text shorter than its source, never longer; lines still come out right.
      const before = p.text.slice(0, index - starts[k]);
      const newlines = before.split('\n').length - 1;
      const sourceText = readFileSync(p.file, 'utf8');
      let pos = p.pos;
      for (let n = 0; n < newlines; n++) pos = sourceText.indexOf('\n', pos) + 1;
      return lineOf(p.file, pos);
    },
  };
}
