# Install layout and the .deb (CPack). `cmake --install build --prefix P` puts:
#   P/bin/limes                                    the program (finds the workspace below)
#   P/share/limes/caucasus.gpkg                    the default workspace
#   P/share/man/man1/limes.1.gz                    limes(1)
#   P/share/bash-completion/completions/limes      bash completion
#   P/share/applications/limes.desktop             the window's desktop entry, and its icon
#   P/share/doc/limes/                             copyright, changelog, README, data licences
# `cpack --config build/CPackConfig.cmake` (or `cmake --build build --target package`) makes
# build/limes_<version>_<arch>.deb; its Depends are third_party/debian-runtime-packages.txt.
include(GNUInstallDirs)

set(LIMES_SHARE ${PROJECT_SOURCE_DIR}/src/app/share)
set(LIMES_PKG_OUT ${PROJECT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${LIMES_PKG_OUT})

# Debian keeps man pages and changelogs gzipped, without a timestamp (-n) for reproducibility.
find_program(LIMES_GZIP gzip REQUIRED)
foreach(pair "limes.1:${LIMES_SHARE}/limes.1" "changelog:${PROJECT_SOURCE_DIR}/cmake/debian/changelog")
  string(REPLACE ":" ";" parts "${pair}")
  list(GET parts 0 name)
  list(GET parts 1 src)
  add_custom_command(
    OUTPUT ${LIMES_PKG_OUT}/${name}.gz
    COMMAND ${LIMES_GZIP} -9 -n -c ${src} > ${LIMES_PKG_OUT}/${name}.gz
    DEPENDS ${src}
    COMMENT "gzip ${name}")
  list(APPEND LIMES_GZIPPED ${LIMES_PKG_OUT}/${name}.gz)
endforeach()
add_custom_target(limes_share_files ALL DEPENDS ${LIMES_GZIPPED})

install(TARGETS limes RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The FFmpeg module (src/media/CMakeLists.txt): PREFIX/lib/limes, found relative to bin/limes.
install(TARGETS limes_ffmpeg LIBRARY DESTINATION lib/limes)
install(FILES ${PROJECT_BINARY_DIR}/geodata/caucasus.gpkg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/limes)
install(FILES ${LIMES_PKG_OUT}/limes.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${LIMES_SHARE}/limes.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME limes)
install(FILES ${LIMES_SHARE}/limes.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${LIMES_SHARE}/limes.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/copyright ${LIMES_PKG_OUT}/changelog.gz
              ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/geodata/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME README.geodata.md)

# ---- the .deb
file(STRINGS ${PROJECT_SOURCE_DIR}/third_party/debian-runtime-packages.txt runtime
     REGEX "^[a-z0-9]")
list(JOIN runtime ", " LIMES_DEB_DEPENDS)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME limes)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "limes developers <limes@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "maps reported border incidents and territorial claims")
set(CPACK_PACKAGE_DESCRIPTION
    "limes loads border and region shapes through GDAL, PROJ and GEOS and\n\
plots reported incidents (who reported them, and the source) and\n\
territorial claims over time: in an OpenGL window, as RFC 7946 GeoJSON,\n\
and as titled, legended briefing images, PDF, SVG and video. A default\n\
workspace of the Armenia-Azerbaijan frontier is included.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${LIMES_DEB_DEPENDS}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/limes")
# Directories of the package owned by root with 0755, files 0644 (lintian's expectations).
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_STRIP_FILES ON)
include(CPack)
