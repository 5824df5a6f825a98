@echo off
rem Builds the build project when its inputs changed, then runs it with the given arguments.
setlocal
set "ROOT=%~dp0"
set "BIN=%ROOT%.nuke\temp\bin"
set DOTNET_CLI_TELEMETRY_OPTOUT=1
set DOTNET_NOLOGO=1
set DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

where dotnet >nul 2>nul || (echo error: the .NET SDK is not on PATH; install the SDK named in global.json ^(10.0.x^). & exit /b 2)

set "REBUILD="
if not exist "%BIN%\_build.exe" set REBUILD=1
if not exist "%BIN%\.built" set REBUILD=1
if not defined REBUILD (
  for /f "delims=" %%F in ('powershell -NoProfile -Command "$stamp=(Get-Item '%BIN%\.built').LastWriteTimeUtc; Get-ChildItem -Recurse -File '%ROOT%build','%ROOT%src\Slipway','%ROOT%src\Slipway.Release','%ROOT%Directory.Build.props','%ROOT%Directory.Packages.props','%ROOT%global.json' | Where-Object { $_.FullName -notmatch '\\(bin|obj)\\' -and $_.LastWriteTimeUtc -gt $stamp } | Select-Object -First 1 -ExpandProperty FullName"') do set REBUILD=1
)

if defined REBUILD (
  if not exist "%BIN%" mkdir "%BIN%"
  echo Compiling the build project... 1>&2
  dotnet build "%ROOT%build\_build.csproj" -c Release -o "%BIN%" --nologo -v quiet -clp:NoSummary -clp:ErrorsOnly 1>&2 || (echo error: the build project does not compile. 1>&2 & exit /b 2)
  type nul > "%BIN%\.built"
)

"%BIN%\_build.exe" %*
exit /b %ERRORLEVEL%
