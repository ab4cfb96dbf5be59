namespace Buses.Tests.Host;

// Blocking calls under test run on a thread of their own, never on a pool thread a test awaits with.
internal static class OnThread
{
    internal static Task<T> Run<T>(Func<T> body)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(body());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        })
        { IsBackground = true, Name = "blocking call under test" };
        thread.Start();
        return completion.Task;
    }

    internal static Task Run(Action body) => Run(() =>
    {
        body();
        return true;
    });

    /// <summary>Runs <paramref name="body"/> on its own thread and hands back what it threw, or null.</summary>
    internal static Task<Exception?> Catch(Action body) => Run(() =>
    {
        try
        {
            body();
            return null;
        }
        catch (Exception e)
        {
            return (Exception?)e;
        }
    });
}
