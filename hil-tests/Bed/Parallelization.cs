using Xunit;

// Every test class shares one kernel and the same few interfaces (vcan0, hci0, the TIPC name
// table): run side by side, a frame one test sends shows up in another test's receiver. Seen in
// the bed as a candump comparison receiving the self-check's 123#DEADBEEF.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
