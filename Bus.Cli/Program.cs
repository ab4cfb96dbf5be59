using Buses.Cli;

// stdout is often a pipe into another tool (candump -L lines into canplayer, grep); a large
// buffer keeps a flood of frames from costing one write() each. Commands flush when idle.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false };
var stderr = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false)) { AutoFlush = true };
int status = new Dispatcher(CommandTable.All, CommandTable.Groups).Run(args, stdout, stderr);
stdout.Flush();
return status;
