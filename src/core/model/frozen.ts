/**
 * `Frozen<T>`: `T` with every property and array readonly, all the way down. The model's types
 * are `Frozen<z.infer<typeof schema>>`, so results stay plain readonly data (STYLE.md) while
 * the schema is their one declaration.
 */
export type Frozen<T> = T extends (...args: never[]) => unknown ? T : T extends readonly (infer E)[] ? readonly Frozen<E>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;
