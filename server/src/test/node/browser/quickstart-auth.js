// The authenticator of ImageKit's React and Vue quick starts, as they print it: GET the backend's /auth.
export const authenticator = async () => {
  try {
    const response = await fetch("/auth");
    if (!response.ok) {
      const errorText = await response.text();
      throw new Error(`Request failed with status ${response.status}: ${errorText}`);
    }
    const data = await response.json();
    const { signature, expire, token } = data;
    return { signature, expire, token };
  } catch (error) {
    throw new Error(`Authentication request failed: ${error.message}`);
  }
};
