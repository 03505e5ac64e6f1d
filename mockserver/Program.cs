using EventsBindings.MockServer.Commands;

return await MockCommandLine.InvokeAsync(args).ConfigureAwait(false);
