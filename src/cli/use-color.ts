/** Colour only on a terminal, never when NO_COLOR is set to anything non-empty (https://no-color.org). */
export function useColor(option: boolean | undefined, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (option === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (option === true) return true;
  return isTty && env.TERM !== "dumb";
}
