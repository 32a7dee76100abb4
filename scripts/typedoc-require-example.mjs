// TypeDoc plugin: every exported top-level name of every ftpwire package must carry an
// `@example`. TypeDoc's own `validation.notDocumented` only asks for a comment; a name a user
// can import deserves a snippet they can paste, and test/docs/examples.test.ts runs them all.
// Each offender is reported as a validation warning, which `treatWarningsAsErrors` turns into
// a failed build (exit code 4), so `pnpm docs:api` lists them all in one run.
import { Application, ReflectionKind } from 'typedoc';

/** Kinds a user imports by name; references (re-exports) point at one of these. */
const TOP_LEVEL =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum |
  ReflectionKind.Namespace;

/** @param {import('typedoc').Comment | undefined} comment */
function hasExample(comment) {
  return comment?.blockTags.some((tag) => tag.tag === '@example') ?? false;
}

/** @param {import('typedoc').DeclarationReflection} reflection */
function documentedWithExample(reflection) {
  // A function's TSDoc lands on its signatures; a class's or a type's on the reflection.
  return (
    hasExample(reflection.comment) ||
    (reflection.signatures ?? []).some((signature) => hasExample(signature.comment))
  );
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    let checked = 0;
    const missing = [];
    for (const module of project.getChildrenByKind(ReflectionKind.Module)) {
      for (const reflection of module.getChildrenByKind(TOP_LEVEL)) {
        checked++;
        if (!documentedWithExample(reflection)) {
          missing.push(
            `${module.name}: ${ReflectionKind.singularString(reflection.kind)} ${reflection.name}`,
          );
        }
      }
    }
    for (const name of missing) app.logger.validationWarning(`no @example: ${name}`);
    app.logger.info(
      `@example check: ${checked - missing.length} of ${checked} exported names have an example`,
    );
  });
}
