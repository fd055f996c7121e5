/** The id rule of schema/scenario.ts, for a hint while typing (the server decides). */
export const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const ID_HINT = 'Kebab-case: lowercase letters, digits and single hyphens.';
