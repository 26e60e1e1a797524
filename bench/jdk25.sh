# Sourced by the bench scripts: jdk25 prints a JDK 25 home, looking where ./upfront looks.
jdk25() {
  local d
  for d in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
           /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    if [ -n "$d" ] && [ -x "$d/bin/javac" ] && \
       [ "$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')" = "25" ]; then
      echo "$d"; return 0
    fi
  done
  return 1
}
