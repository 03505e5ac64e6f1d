using EventsExport;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

return await ExportCommand.RunAsync(args, Console.Out, Console.Error, cts.Token).ConfigureAwait(false);
