/** Shorter passwords are refused everywhere one is set: CLI, admin API, a person's own change. */
export const MIN_PASSWORD_LENGTH = 10;
