#pragma once
// How long this process has run, from the kernel's record of its start (not from main(): the
// dynamic linking and static initialisers before main count too, as a user waits for them).

namespace limes::core {

/** Milliseconds since the process started (/proc/self/stat's start time against
 *  CLOCK_BOOTTIME; the start time has the kernel's tick resolution, 10 ms); -1 when unknown. */
double process_age_ms();

}  // namespace limes::core
