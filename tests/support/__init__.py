"""What the tests share: throwaway repositories, the command line run in this process
or as a real process, built sites, Chromium and axe-core. Tests import from here,
never from one another."""
