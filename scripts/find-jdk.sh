# Sourced (POSIX sh) by ./mvnw, ./tributary and bench/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: JAVA_HOME if it is new enough, then the usual install locations, newest first.
tributary_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

tributary_find_jdk() {
  # callers may run with globbing off (mvnw uses set -f); this loop needs it
  case $- in *f*) set +f; tributary_glob_was_off=1 ;; *) tributary_glob_was_off= ;; esac
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(tributary_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      [ -n "$tributary_glob_was_off" ] && set -f
      return 0
    fi
  done
  [ -n "$tributary_glob_was_off" ] && set -f
  return 1
}

if ! TRIBUTARY_JDK=$(tributary_find_jdk); then
  echo "tributary: no JDK >= 21 found (looked at JAVA_HOME and /usr/lib/jvm). Install one (e.g. Temurin 21+) and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME="$TRIBUTARY_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
