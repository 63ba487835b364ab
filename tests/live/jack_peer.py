"""An independent JACK MIDI client for the live tests (Debian's python3-jack-client).

Usage: jack_peer.py CLIENT_NAME. Registers CLIENT_NAME:input and CLIENT_NAME:output, prints
"ready", then obeys lines on stdin:
  play JSON   plays [[seconds, [bytes...]], ...] on :output, frame-exact from the next period,
              and prints "played" once the last message is out;
  dump        prints what :input received so far as JSON [[frame, [bytes...]], ...];
  (end of input) closes the client and exits.
"""

import json
import sys
import threading

import jack

client = jack.Client(sys.argv[1], no_start_server=True)
inport = client.midi_inports.register("input")
outport = client.midi_outports.register("output")
received = []
lock = threading.Lock()
phrase = {"start": None, "events": [], "next": 0}
played = threading.Event()


@client.set_process_callback
def process(frames):
    start = client.last_frame_time
    for offset, data in inport.incoming_midi_events():
        received.append([start + offset, list(bytes(data))])
    outport.clear_buffer()
    with lock:
        if phrase["start"] is None:
            return
        if phrase["start"] < 0:
            phrase["start"] = start + frames
        events, rate = phrase["events"], client.samplerate
        while phrase["next"] < len(events):
            seconds, data = events[phrase["next"]]
            frame = phrase["start"] + round(seconds * rate)
            if frame >= start + frames:
                break
            outport.write_midi_event(max(frame - start, 0), bytes(data))
            phrase["next"] += 1
        if phrase["next"] == len(events):
            phrase["start"] = None
            played.set()


client.activate()
print("ready", flush=True)
for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "play":
        played.clear()
        with lock:
            phrase.update(start=-1, events=json.loads(argument), next=0)
        played.wait()
        print("played", flush=True)
    elif command == "dump":
        print(json.dumps(list(received)), flush=True)
client.deactivate()
client.close()
