using Amlfs.Cli;
using Amlfs.Cli.Commands;

using var stop = new ProcessStopSignal(Console.Error);
ServeCommand.PrepareProcess(args);
return AmlfsCli.Run(args, CliEnvironment.ForProcess(), stop.Token);
