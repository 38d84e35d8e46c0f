import { createContext, useContext } from "react";

// The CSP nonce reaches <Scripts> through context; it is set only during the server render.
const NonceContext = createContext<string | undefined>(undefined);
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
