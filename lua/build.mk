# lua: placeholder until the component lands.
.PHONY: lua install-lua uninstall-lua
lua:
install-lua:
uninstall-lua:
