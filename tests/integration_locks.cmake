# Read by ctest (a TEST_INCLUDE_FILES entry of tests/CMakeLists.txt, after the discovered integration tests): which
# integration tests share something and so must not run at the same time. scripts/test runs the suite concurrently
# (ctest -j); every test not named here runs beside any other, so a new integration test must use its own project
# name, host ports (fixed ones in a range no other test uses), container names and image tags, or be added here.
#
# RESOURCE_LOCK: tests holding the same lock run one after the other (and beside tests that do not hold it).
#   regular expression on the test name                            lock
set(_envctl_integration_locks
  # The core services' upstream names (docker.io/library/postgres:..., ...) are tags in podman's one storage: each
  # test pulls and removes them, and its suite setup refuses names it did not leave.
  "^RegistryPull\\."                                                upstream_image_names
  # Both engines' cases build and remove the one image of config_hash_stack.yaml (localhost/envctl-test/config-hash:1).
  "ConfigHashE2E\\."                                                image_envctl_test_config_hash
  # EngineTestStack removes (and counts as leftovers) the volumes and networks named PROJECT_*: project enginetest_api
  # takes in enginetest_api_native's.
  "^PodmanApi\\.CreatesAndStartsContainersAndEndsWithoutATrace$"     project_enginetest_api
  "^EngineInterop\\.NativeEngineGivesTheSameContainersThroughPodman" project_enginetest_api
  # verify's connect checks run containers named envctl-verify-*, which VerifyCoreE2E counts as leftovers wherever
  # they come from.
  "Verify"                                                          containers_envctl_verify
)
# RUN_SERIAL: tests that run alone. Doctor's tests count every container, image and network of the container
# check (label io.envctl.check, envctl-check-*) in podman's storage as their own leftovers, and the first `up` of
# any project runs that check too. ArgvSecrets' scanner reads every process's command line in a busy loop (a core
# of its own, which slows the probes of whatever runs beside it, its own included). The interrupted image build
# sends its SIGTERM at a fixed 3 s, which must find envctl started (on a loaded machine it did not: killed, not 130).
# The local images' tests time `podman stop` against 2 s (2.2-2.6 s beside other tests on a loaded machine). The
# migration timeouts of 1-2 s must run out in the statement the test names, not in the steps before it.
set(_envctl_integration_serial
  "^Doctor\\."
  "^ArgvSecrets\\."
  "^ImagesBuild\\.AnInterruptedBuildTagsNothingAndCleansUp$"
  "^LocalImages\\."
  "^MigrateCommand\\.PastMigrationTimeoutItExitsSix$"
  "^Migrations\\.AMigrationRunningPastTheTimeoutIsStoppedAndReported$"
  "^Migrations\\.WaitingForAnotherMigratorsLockIsBoundedByTheTimeout$"
)

foreach(_test IN LISTS envctl_integration_tests_TESTS)
  set(_locks "")
  list(LENGTH _envctl_integration_locks _n)
  math(EXPR _last "${_n} - 1")
  foreach(_i RANGE 0 ${_last} 2)
    math(EXPR _j "${_i} + 1")
    list(GET _envctl_integration_locks ${_i} _pattern)
    list(GET _envctl_integration_locks ${_j} _lock)
    if(_test MATCHES "${_pattern}")
      list(APPEND _locks ${_lock})
    endif()
  endforeach()
  if(_locks)
    set_tests_properties("${_test}" PROPERTIES RESOURCE_LOCK "${_locks}")
  endif()
  foreach(_pattern IN LISTS _envctl_integration_serial)
    if(_test MATCHES "${_pattern}")
      set_tests_properties("${_test}" PROPERTIES RUN_SERIAL ON)
    endif()
  endforeach()
endforeach()
