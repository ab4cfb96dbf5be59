using System.Runtime.CompilerServices;

// Every P/Invoke signature must be blittable: a non-blittable one fails the build instead of being
// marshalled silently on each call of a hot path.
[assembly: DisableRuntimeMarshalling]
