using Amlfs.Cli;
using Amlfs.Cli.Commands;

ServeCommand.PrepareProcess(args);
return AmlfsCli.Run(args, CliEnvironment.ForProcess());
