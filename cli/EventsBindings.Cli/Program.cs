using EventsBindings.Cli.Commands;

return await EventsBindingsCommandLine.InvokeAsync(args).ConfigureAwait(false);
