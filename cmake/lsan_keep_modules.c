/* Preloaded (LD_PRELOAD) into every process of test.sh's sanitizer stage: dlclose() does
 * nothing, so no shared library is unloaded before LeakSanitizer's check at exit.
 *
 * Why: the GL drivers (Mesa's EGL/GLX/gallium, loaded by libglvnd with dlopen) keep memory
 * for the life of the process through their own globals and are dlclose()d at teardown.
 * Once a library is unloaded its globals are gone, so LSan sees that memory as leaked, and
 * cannot even name the library in the stack ("<unknown module>"), which defeats any
 * suppression by library. With the libraries kept, that memory is reachable again and not
 * reported, while a leak of limes' own is still found. Nothing else changes: a process that
 * never unloads libraries before it exits behaves the same. */
int dlclose(void* handle) {
    (void)handle;
    return 0;
}
