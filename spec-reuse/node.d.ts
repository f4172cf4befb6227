// The two Node.js globals the client uses, declared here rather than pulling in
// @types/node for them. Fetch, URL, Response and console come from lib "DOM".
declare const process: {
  readonly argv: string[];
  readonly env: Record<string, string | undefined>;
  exitCode?: number;
};
