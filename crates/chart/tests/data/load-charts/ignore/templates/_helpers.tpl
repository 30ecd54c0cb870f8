content of templates/_helpers.tpl
