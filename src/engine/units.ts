/** A byte count as people read it in progress lines and messages: "4.2 MB", "3072 MB". */
export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
