#!/usr/bin/env python3
"""Opens the TensorBoard event files that grok-metrics wrote with TensorBoard's own reader.

    python3 scripts/tensorboard_check.py RUN_FOLDER [TAG=VALUE ...]

Loads RUN_FOLDER with tensorboard.backend.event_processing.event_accumulator.EventAccumulator (the
reader `tensorboard --logdir` uses), prints every scalar tag with its steps and values, and fails when
the folder has no scalars, or when a TAG=VALUE given on the command line is not the last value of TAG
(compared at float32 precision). Needs `pip install tensorboard` (not a dependency of the build; see
docs/monitoring.md, "TensorBoard", for the version it was checked with).
"""
import sys

from tensorboard.backend.event_processing import event_accumulator


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    acc = event_accumulator.EventAccumulator(argv[1], size_guidance={event_accumulator.SCALARS: 0})
    acc.Reload()
    tags = acc.Tags()["scalars"]
    if not tags:
        print(f"tensorboard_check: no scalars in {argv[1]}", file=sys.stderr)
        return 1
    for tag in tags:
        events = acc.Scalars(tag)
        print(f"{tag}: {len(events)} values, steps {events[0].step}..{events[-1].step}, last {events[-1].value!r}")
    import struct
    for spec in argv[2:]:
        tag, value = spec.split("=", 1)
        last = acc.Scalars(tag)[-1].value
        want = struct.unpack("f", struct.pack("f", float(value)))[0]
        if last != want:
            print(f"tensorboard_check: {tag}: last value {last!r}, expected {want!r}", file=sys.stderr)
            return 1
    print(f"tensorboard_check: {len(tags)} tags read by TensorBoard's EventAccumulator")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
